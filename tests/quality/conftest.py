"""Print every quality figure beside its gate at the end of the run, so CI logs show the margins left."""


def pytest_terminal_summary(terminalreporter):
    from tests.quality.test_gates import MEASURED

    if MEASURED:
        terminalreporter.section("quality gates")
        for name, value, floor in MEASURED:
            terminalreporter.write_line(f"{name:<42} {value:.4f}  (gate {floor:.4f}) {'ok' if value >= floor else 'FELL'}")
