"""CCHC reporting suite: administrative-reform progress of Vietnam's provinces."""

__version__ = "0.1.0"
