"""Domain logic. Views, admin and tasks call these; these never import Flask's request."""
