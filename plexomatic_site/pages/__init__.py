"""The site's own pages (overview, settings, jobs, health, first-run setup): above the apps."""
