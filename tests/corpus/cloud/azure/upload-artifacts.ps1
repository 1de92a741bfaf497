# Upload build artifacts with a SAS URL (valid until 2027)
$ErrorActionPreference = "Stop"
$sas = "https://acmebuilds.blob.core.windows.net/artifacts?sv=2022-11-02&ss=b&srt=co&sp=rwlac&se=2027-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=qh7I74o2ETPjDfzKvP1AnZ6O6P7%2FQ7zsK23D0MdDIm8%3D"
$buildId = "15eb87e2-6e12-44ed-bb48-4f75b2371528"
azcopy copy ".\out\*" $sas --recursive=true
Write-Host "uploaded build $buildId"
$env:AZURE_CLIENT_SECRET = "FJa5Q~1VdCGBr~S2N1S2_hLkxPje0uI1uxm1PrYo"
$env:AZURE_CLIENT_ID = "420db203-2a4c-4c8f-b90f-09bad3665967"
$env:AZURE_TENANT_ID = "41a68d71-034a-4a8d-a12d-cf2e524f5410"
az login --service-principal -u $env:AZURE_CLIENT_ID -p $env:AZURE_CLIENT_SECRET --tenant $env:AZURE_TENANT_ID
