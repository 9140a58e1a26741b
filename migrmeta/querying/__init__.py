"""querying"""
