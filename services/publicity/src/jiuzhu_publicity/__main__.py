from jiuzhu_publicity.bootstrap import main

main()
