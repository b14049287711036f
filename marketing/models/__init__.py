from .attribution import Touch, VisitorSalt

__all__ = ["Touch", "VisitorSalt"]
