param([string]$Server = 'app02')
$secure = ConvertTo-SecureString 'M11W3e5Gz!zfJQnnbt' -AsPlainText -Force
& PsExec.exe \\$Server -u ACME\svc-setup -p uy4wuu5AT@Eh1UNkzT -h cmd /c setup.cmd
Write-Output "done on $Server"
