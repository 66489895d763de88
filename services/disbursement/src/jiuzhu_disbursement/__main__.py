from jiuzhu_disbursement.bootstrap import main

main()
