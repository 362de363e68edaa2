"""Authentication: the API as an OAuth 2.0 resource server, and an embedded authorization server.

See docs/auth.md. The pieces other packages use:

- ``Principal`` (``principal.py``): who is calling.
- ``AuthError`` (``errors.py``): 401/403 with a stable code.
- ``AuthSettings`` (``settings.py``): configuration from the environment.
- ``TokenValidator`` and ``authenticate`` (``resource_server.py``): token in, principal out.
- ``authorization_server_routes`` (``server.py``): the embedded server's routes.
- ``seed_demo`` (``seed.py``), and ``testing.py`` for real tokens in tests.
"""

from graph_api.auth.errors import AuthError, AuthErrorCode
from graph_api.auth.principal import Principal, Role, Scope
from graph_api.auth.settings import AuthSettings, get_auth_settings

__all__ = ["AuthError", "AuthErrorCode", "AuthSettings", "Principal", "Role", "Scope", "get_auth_settings"]
