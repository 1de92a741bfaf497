# Upload build artifacts with a SAS URL (valid until 2027)
$ErrorActionPreference = "Stop"
$sas = "https://acmebuilds.blob.core.windows.net/artifacts?sv=2022-11-02&ss=b&srt=co&sp=rwlac&se=2027-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=dfHa1qeQ1UBVwUY9fUoiv%2BtWN2kFqh7I74o2ETPjDfw%3D"
$buildId = "885d84d1-5eb8-4e26-8123-4edcb484f75b"
azcopy copy ".\out\*" $sas --recursive=true
Write-Host "uploaded build $buildId"
$env:AZURE_CLIENT_SECRET = "Gox3Q~GULizKS1q1VdCGBr~S2N1S2_hLkxPje0uI"
$env:AZURE_CLIENT_ID = "dbc9d3a6-a420-4b20-a2a4-c7c8fc90f09b"
$env:AZURE_TENANT_ID = "d3665967-d41a-48d7-b034-a6a8d912dcf2"
az login --service-principal -u $env:AZURE_CLIENT_ID -p $env:AZURE_CLIENT_SECRET --tenant $env:AZURE_TENANT_ID
