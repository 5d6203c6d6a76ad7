"""Tests that run a real Home Assistant and drive its web interface in a browser."""
