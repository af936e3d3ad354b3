"""JavaScript shared by the app's tiny components (ui/screen.py, ui/progress.py).

A component that reports what only the browser knows does so when it is drawn, which is
while the page's first run is still going. A report then asks for a rerun before that
run has finished, and Streamlit may run the app's default page instead of the one the
reader opened (https://github.com/streamlit/streamlit/issues/9100 is the same race).
``WHEN_IDLE`` defers a report until the run has finished; it returns a function that
cancels the wait.
"""

WHEN_IDLE = """
const whenIdle = (report) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = () => !app || app.getAttribute('data-test-script-state') === 'notRunning';
  if (idle()) { report(); return () => {}; }
  const timer = setInterval(() => { if (idle()) { clearInterval(timer); report(); } }, 50);
  return () => clearInterval(timer);
};
"""
