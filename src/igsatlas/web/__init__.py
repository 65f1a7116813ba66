"""The website: app factory, page routes, JSON twins, templates and static assets."""
