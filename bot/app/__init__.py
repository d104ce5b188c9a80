"""The running bot: its composition, lifecycle, operations routes and webhook."""
