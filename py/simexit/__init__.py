"""simexit: close a US mobile line or account safely, every fact sourced."""

__version__ = "0.1.0"
