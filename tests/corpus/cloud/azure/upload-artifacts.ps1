# Upload build artifacts with a SAS URL (valid until 2027)
$ErrorActionPreference = "Stop"
$sas = "https://acmebuilds.blob.core.windows.net/artifacts?sv=2022-11-02&ss=b&srt=co&sp=rwlac&se=2027-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=aZmlxx8av9wyxfYeb0wRwJVIQIV9wOBIQI8RI1F51pA%3D"
$buildId = "0b264165-f5ab-4e4d-95cc-67899f14c983"
azcopy copy ".\out\*" $sas --recursive=true
Write-Host "uploaded build $buildId"
$env:AZURE_CLIENT_SECRET = "qXO0Q~Yf1i6T_TPa6eLMhIVZ2HqdcuP-hUV_NEby"
$env:AZURE_CLIENT_ID = "af7b2d15-7bb1-4b61-ab83-deed8ec2a34b"
$env:AZURE_TENANT_ID = "ee6bf894-4734-4261-b1bd-b1e25cc14923"
az login --service-principal -u $env:AZURE_CLIENT_ID -p $env:AZURE_CLIENT_SECRET --tenant $env:AZURE_TENANT_ID
