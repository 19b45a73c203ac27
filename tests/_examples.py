"""Running a docstring's examples as a test (shared by the test modules)."""
import doctest
import io


def run_examples(obj, name):
    """Run the examples in ``obj``'s docstring; fail, showing the doctest
    report, if there are none or one fails."""
    tests = doctest.DocTestFinder(recurse=False).find(obj, name, globs={})
    assert tests and tests[0].examples, f"{name} has no examples"
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()
