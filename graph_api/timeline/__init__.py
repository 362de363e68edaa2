"""The company timeline: TimelineEvent nodes in chronological order, guarded per data block."""
