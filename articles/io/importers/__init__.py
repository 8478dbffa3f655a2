"""Getting data into the archive: Popolo people and parties, articles from text and JSONL."""
