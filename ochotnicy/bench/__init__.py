"""`make bench`: the system's speed and memory, each figure beside the limit it is measured against."""
