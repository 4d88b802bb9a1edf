"""Outbound WeCom clients: the app API (message/send & co.) and group-robot webhooks."""
