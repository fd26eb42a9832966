"""What the API's checking and rendering calls return, and the exit codes they map to."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .spec.model import Design

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class CheckResult:
    """What checking one spec found."""

    file: str
    design: Design | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    unreadable: bool = False
    failed: set[str] = field(default_factory=set)
    waived: dict[str, int] = field(default_factory=dict)
    outcome: object = field(default=None, repr=False)  # rules.registry.Outcome, once the rules have run
    _assessment: object = field(default=None, repr=False)

    @property
    def assessment(self):
        """The design's ``rules.assessment.Assessment`` once the rules have run, else None.

        Made when first asked for: ``kit check`` prints the rules' diagnostics and
        asks for it only with --verbose; the brief, the email and the studio share it.
        """
        if self._assessment is None and self.outcome is not None:
            from .rules.assessment import assess

            self._assessment = assess(self.design, self.outcome)
        return self._assessment

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.errors

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_ERRORS if self.errors else EXIT_OK


@dataclass
class RenderResult(CheckResult):
    """What rendering one spec did: its check, the files in memory, and those written."""

    files: list = field(default_factory=list)  # documents.RenderedFile, in memory
    written: list = field(default_factory=list)  # (Path, RenderedFile) pairs, once saved
    problem: str = ""  # nothing to render, or the files could not be written

    @property
    def ok(self) -> bool:
        return super().ok and not self.problem

    @property
    def exit_code(self) -> int:
        code = super().exit_code
        return EXIT_ERRORS if code == EXIT_OK and self.problem else code
