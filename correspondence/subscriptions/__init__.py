"""E-mail subscriptions: the form, double opt-in, who receives what, one-click unsubscribe."""
