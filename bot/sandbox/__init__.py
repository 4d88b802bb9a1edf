"""A local stand-in for WeCom that speaks the real protocol (sandbox mode and tests)."""

from bot.sandbox.api import create_sandbox_api
from bot.sandbox.journal import Journal
from bot.sandbox.state import Entry, Faults, SandboxState

__all__ = ["Entry", "Faults", "Journal", "SandboxState", "create_sandbox_api"]
