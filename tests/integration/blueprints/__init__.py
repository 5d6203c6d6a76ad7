"""The blueprints in blueprints/, run by Home Assistant's blueprint machinery."""
