"""The archive in other people's formats: Popolo, TimelineJS, CSV."""
