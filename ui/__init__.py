"""The shared UI kit: every page builds from these pieces so the four demos look and behave as one."""
