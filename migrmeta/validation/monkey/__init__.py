"""monkey"""
