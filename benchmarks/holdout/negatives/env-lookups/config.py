import os
from getpass import getpass

DATABASE_URL = os.environ["DATABASE_URL"]
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY")
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY", "")
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", None)
password = getpass("Password: ")
api_key = input("Paste your API key: ")
token = settings.GITHUB_TOKEN
secret = config("SECRET_KEY", default="")
private_key = open(os.path.expanduser("~/.ssh/id_ed25519")).read()
client_secret = keyring.get_password("acme", "client_secret")
