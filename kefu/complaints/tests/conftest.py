from kefu.core.tests.shop_fixtures import (  # noqa: F401 - fixtures, found by name
    agent,
    agent_client,
    shop,
    supervisor,
    supervisor_user,
)
