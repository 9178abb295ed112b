"""The meeting pack: what a meeting is shown and handed (slides and a report), from the same
figures as the dashboard. content.py gathers them, slides.py writes PowerPoint, report.py writes
Word, links.py makes the link (and QR code) back to each view live."""
