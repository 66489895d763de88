import sys

from jiuzhu_devstack.cli import main

sys.exit(main())
