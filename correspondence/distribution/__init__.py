"""Distribution of issued letters to the Permanent Missions: services, the message, the admin."""
