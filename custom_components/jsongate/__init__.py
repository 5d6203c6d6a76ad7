"""The jsonGate SMS & Push integration."""
