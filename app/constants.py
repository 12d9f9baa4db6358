"""Constants every layer shares, with no imports of the app's own: India Standard Time (the
time people read; the database keeps UTC)."""

from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")
