resource "azurerm_linux_web_app" "shop" {
  name                = "acme-shop-web"
  resource_group_name = "rg-shop"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.shop.id

  app_settings = {
    "AZURE_STORAGE_CONNECTION_STRING" = azurerm_storage_account.assets.primary_connection_string
    "COSMOS_KEY"                      = "K9ORqn5J1WX9ar8O0Ff10hx3KCgz5hYk70FzD/vlVR4/yqM/W7SIp+fXQ7Ocw6D+KvykkQAMxJPRhxtWkUz7XA=="
    "SERVICEBUS_CONNECTION"           = "Endpoint=sb://acme-shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=S3dbNbxGdor0cDvbfFOuynRX9Q3GdHFtiPTqgwpp1Hk="
    "BLOB_SAS_URL"                    = "https://acmeassets.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2025-12-31T23:59:59Z&st=2024-01-01T00:00:00Z&spr=https&sig=BTp7KCEz3nXrsNxbxXwaF%2BwEqeLrkzbuTlPSt%2BIE6aU%3D"
    "AZURE_OPENAI_KEY"                = "877af8f2dfd9be3f888d9555fa9bb84c"
    "WEBSITE_RUN_FROM_PACKAGE"        = "1"
    "APPINSIGHTS_INSTRUMENTATIONKEY"  = "59b6bd8a-217c-4754-a258-6e0dd3c2fe3f"
  }
}

resource "azuredevops_serviceendpoint_github" "gh" {
  project_id            = azuredevops_project.shop.id
  service_endpoint_name = "github"
  auth_personal {
    personal_access_token = "cymkaxkhtozl5pffxz6mc32iqqlfvcueqmg44p2ulmdussjcdeik"
  }
}
