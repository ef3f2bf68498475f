"""Drives the real app (server process, AppTest, headless Chromium) for tests and benchmarks alike."""
