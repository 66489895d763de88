from jiuzhu_verification.bootstrap import main

main()
