"""Quality, speed and memory measurements that write BENCHMARKS.md (`make bench`)."""
