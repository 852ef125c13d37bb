app_name = "devidp"
urlpatterns: list = []
