"""Container health check without curl: exit 0 when the app answers on its health path."""

import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}{os.environ.get('HEALTH_PATH', '/healthz')}"
try:
    with urllib.request.urlopen(url, timeout=3) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception:
    sys.exit(1)
