"""Public-register tasks: the daily open-data files, and on a central instance the pull of every
configured state's register feed. Both are idempotent: files are rewritten whole and renamed into
place, feed items are upserted only when newer."""

from celery import shared_task


@shared_task(name="open-data.publish")
def publish_open_data():
    """Rewrite the open-data files (daily, and after a deploy on first demand)."""
    from flask import current_app

    from app.services import open_data

    publisher = current_app.config.get("OPEN_DATA_PUBLISHER", "State Police")
    return open_data.publish_all(publisher)


@shared_task(name="central.pull")
def central_pull():
    """On a central instance, pull every configured state's register feed (every 5 minutes)."""
    from flask import current_app

    from app.services import feeds

    if current_app.config.get("DEPLOYMENT_LEVEL") != "central":
        return None
    return feeds.pull_all()
