from jiuzhu_oversight.bootstrap import main

main()
