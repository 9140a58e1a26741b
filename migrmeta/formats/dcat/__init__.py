"""dcat"""
