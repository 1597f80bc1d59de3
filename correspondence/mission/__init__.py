"""Mission focal points: invited by the Secretariat, they keep their mission's addresses."""
