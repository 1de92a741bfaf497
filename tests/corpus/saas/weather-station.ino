// weather station firmware config
#define WIFI_SSID "acme-iot"
#define WIFI_PASSWORD "2CaO1zVSNe6J+AKj2jqv"
#define IO_USERNAME "acme_lab"
#define IO_KEY "aio_JRfTCSc55ZSgOlbxYRDq75aA9Mo2"
const char* UBIDOTS_TOKEN = "BBFF-QhfC2UekgB5wvmza8vPIChDhWjEKyF";
#define FIRMWARE_BUILD "4e10785"
