"""Schedule notices: gathering the meetings' changes, the iTIP calendar parts, the message."""
