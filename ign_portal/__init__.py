"""IGN Portal: the General Assembly's negotiations on Security Council reform."""
