# deploy the reporting service to the Windows fleet
$pw = ConvertTo-SecureString "X8nUapYyWbB7*to1qGzA" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential("CORP\svc-deploy", $pw)
psexec \\rpt01 -u CORP\svc-deploy -p c3rmvIfoKPHQ*wXaxPtl cmd /c C:\deploy\install.bat
net use \\files01\drop Velvet!3445cobalt /user:CORP\svc-drop
cmdkey /generic:TERMSRV/rpt01 /user:CORP\ops /pass:UhrwPYnf94Jc%1U2Bnfg
schtasks /Create /TN nightly-report /TR C:\deploy\report.cmd /RU CORP\svc-report /RP b7VXIBe8je53!5A69Hxg
Write-Host "deployed build bb4231d"
