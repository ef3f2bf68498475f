"""Per-demo page sections: each page file reads as its storyboard and calls these."""
