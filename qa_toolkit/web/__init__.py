"""``qa serve``: the web view for team leads, agents, reviewers and trainers (a thin face over the services)."""
