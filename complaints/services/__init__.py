"""Customer-care services: notifications, complaints and escalation, follow-up calls and surveys, reminders."""
