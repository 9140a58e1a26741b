"""pushing"""
