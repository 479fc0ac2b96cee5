"""The models of cross-checks, exits and warnings, one module each."""

from audits.models.warnings import ExpiryWarning

__all__ = ["ExpiryWarning"]
