"""Display: reports (and, later, plots). Display imports everything; nothing imports display."""

from .report import analysis_report

__all__ = ["analysis_report"]
